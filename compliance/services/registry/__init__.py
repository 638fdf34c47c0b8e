"""The ULD registry: service units, candidates with consent, matching and referrals.

Modules by concern: `ulds` (directory and routing), `candidates` and `consent` (the registry),
`candidate_import`, `requests` (companies' referral requests), `matching`, `referrals` and
`outcomes` (the lifecycle), `disclosure` (what a company may see), `statistics`, `external`.
"""
