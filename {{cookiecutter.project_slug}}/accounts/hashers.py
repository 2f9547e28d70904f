from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Argon2id at OWASP's minimum: 19 MiB of memory, 2 passes, 1 lane.

    Django's own parameters take 100 MiB and about five times as long per
    login, which lets a flood of logins exhaust the server's memory. A hash
    made with other parameters is redone with these at the user's next login.
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
