"""The keys that sign and verify tokens: the key set, its system checks, JWKS, ``jwt_keys``."""
