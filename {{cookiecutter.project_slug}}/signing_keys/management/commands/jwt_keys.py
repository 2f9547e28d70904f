"""manage.py jwt_keys list|rotate|retire KID|export: the key set, and rotation without logouts."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from security_events import events
from security_events.recorder import record
from signing_keys.algorithms import ALGORITHMS
from signing_keys.keys import load_key_set
from signing_keys.keyset import KeySetError, retire, rotate


class Command(BaseCommand):
    help = (
        "Manage the keys that sign and verify tokens. rotate makes a new signing key while the "
        "others keep verifying; retire KID stops accepting the tokens a key signed. Running "
        "servers use the change once they restart."
    )

    # It must run when a key fails the checks: rotating is how that key is replaced.
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="each key: kid, algorithm, when it was made, its use")
        actions.add_parser("rotate", help="make a new key that signs; the others keep verifying")
        actions.add_parser("retire", help="drop a key that no longer signs").add_argument("kid")
        actions.add_parser("export", help="print the key set, material included, for JWT_KEYS")

    def handle(self, *args, action, **options):
        handlers = {
            "list": self.list_keys,
            "rotate": self.rotate_key,
            "retire": self.retire_key,
            "export": self.export_keys,
        }
        try:
            handlers[action](**options)
        except KeySetError as error:
            raise CommandError(error) from error

    def list_keys(self, **options):
        key_set = load_key_set()
        algorithm = settings.SIMPLE_JWT["ALGORITHM"]
        rows = [("KID", "ALGORITHM", "CREATED", "USE")] + [
            (
                key.kid,
                algorithm,
                key.created or "-",
                "signs" if key.kid == key_set.signing_kid else "verifies only",
            )
            for key in key_set.keys
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for *cells, use in rows:
            padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            self.stdout.write("  ".join([*padded, use]))

    def rotate_key(self, **options):
        directory = self.key_directory()
        algorithm = ALGORITHMS.get(settings.SIMPLE_JWT["ALGORITHM"])
        if algorithm is None:
            raise CommandError(f"JWT_ALGORITHM {settings.SIMPLE_JWT['ALGORITHM']!r} is unknown.")
        key = rotate(directory, algorithm)
        record(events.KEY_ROTATE, reason=key.kid)
        self.stdout.write(
            f"{key.kid} signs from the next start on; the earlier keys keep verifying "
            "until you retire them. Restart the server to use it."
        )

    def retire_key(self, kid, **options):
        retire(self.key_directory(), kid)
        record(events.KEY_RETIRE, reason=kid)
        self.stdout.write(f"Retired {kid}: its tokens are refused from the next start on.")

    def export_keys(self, **options):
        self.stdout.write(json.dumps(load_key_set().manifest(with_material=True)))

    def key_directory(self):
        if settings.JWT_KEYS:
            raise CommandError(
                "JWT_KEYS is set, so the key set comes from the environment: change it in a key "
                "directory (JWT_KEYS_DIR) and export that into JWT_KEYS."
            )
        return settings.JWT_KEYS_DIR
