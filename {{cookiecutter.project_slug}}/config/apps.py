from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project's configuration, as an app so that its system checks register."""

    name = "config"
    verbose_name = "Project configuration"

    def ready(self):
        from . import checks, deploy_checks  # noqa: F401  (registers the system checks)
