from django.db import migrations, models

from api.usernames import account_key


def fill_username_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "username"):
        User.objects.filter(pk=user.pk).update(username_key=account_key(user.username))


class Migration(migrations.Migration):
    """Usernames compare by their stored account key, not the database's lower()."""

    dependencies = [
        ("accounts", "0002_unique_username_and_email_in_any_case"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="user",
            name="accounts_user_username_any_case",
        ),
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.RunPython(fill_username_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=models.TextField(editable=False, unique=True),
        ),
    ]
