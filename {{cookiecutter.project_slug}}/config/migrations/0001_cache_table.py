"""The table of the database cache (CACHES in settings.py).

A migration, so that `manage.py migrate` makes it with every other table.
Migrating backwards leaves it: it holds nothing that outlives a cache.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    initial = True

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
