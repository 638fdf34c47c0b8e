"""The API's request and response bodies, as pydantic models, one module per audience.

pydantic writes JSON Schema 2020-12, which is the dialect of OpenAPI 3.1, so the contract at
`/api/v1/openapi.json` is exactly what these classes check. Request bodies forbid unknown
fields (a misspelt field is an error, never silently ignored); the rules a value must follow
beyond its type (a regency that exists, a month that has ended, a head count not below the
roster) stay in the services, which every page and import shares.
"""
