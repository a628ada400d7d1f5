"""Password hashing: Argon2id over the NFKC-normalised password."""

import unicodedata

from django.contrib.auth.hashers import Argon2PasswordHasher


class NormalizedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id of the password after Unicode NFKC normalisation (NIST
    800-63B 5.1.1.2), so a password typed with a composed "é" on one device
    and "e" plus a combining accent on another is the same password. Keeps
    the name "argon2": hashes made before verify as before for ASCII."""

    def encode(self, password: str, salt: str) -> str:
        return super().encode(unicodedata.normalize("NFKC", password), salt)

    def verify(self, password: str, encoded: str) -> bool:
        return super().verify(unicodedata.normalize("NFKC", password), encoded)


class LightArgon2PasswordHasher(NormalizedArgon2PasswordHasher):
    """Argon2id at its lowest cost, used only when SHOP_TESTING is set: the
    same algorithm and code path as production, without spending 100 MB and
    a tenth of a second on every password a test sets or checks."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
