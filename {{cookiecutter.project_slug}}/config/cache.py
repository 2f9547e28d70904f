"""Django's database cache, with an increment that two workers cannot interleave.

Django's DatabaseCache adds by reading the value and writing it back, so
two requests at once both write the same count, and it resets the key's
expiry as it goes. The rate limits count with ``incr``: here the row stays
locked from the read to the write (PostgreSQL: SELECT ... FOR UPDATE; SQLite:
its IMMEDIATE transactions, set in settings.py, let one writer in at a time),
and only the value changes, so a window's counter expires with its window.
"""

import base64
import pickle

from django.core.cache.backends import db
from django.db import connections, router, transaction


class DatabaseCache(db.DatabaseCache):
    def incr(self, key, delta=1, version=None):
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        table = connection.ops.quote_name(self._table)
        cache_key = self.make_and_validate_key(key, version=version)
        # Only the table's (quoted) name is pasted in; every value is a parameter.
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        select = f"SELECT cache_key FROM {table} WHERE cache_key = %s{lock}"  # noqa: S608
        update = f"UPDATE {table} SET value = %s WHERE cache_key = %s"  # noqa: S608
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(select, [cache_key])
            value = self.get(key, version=version)
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(update, [pickled, cache_key])
        return value
