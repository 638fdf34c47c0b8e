"""The API's routes, one module per audience: `me` (everyone), `hr` (HR managers), `public`
(no token) and `reference` (the contract and its page)."""
