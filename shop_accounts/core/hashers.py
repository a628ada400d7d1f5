"""Password hashing for the test suite."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at its lowest cost, used only when SHOP_TESTING is set: the
    same algorithm and code path as production, without spending 100 MB and
    a tenth of a second on every password a test sets or checks."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
