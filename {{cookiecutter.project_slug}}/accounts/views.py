from rest_framework import generics
{%- if cookiecutter.user_registration %}
from rest_framework.permissions import AllowAny
{%- endif %}

from .models import User
from .serializers import {% if cookiecutter.user_registration %}RegistrationSerializer, {% endif %}UserSerializer


class MeView(generics.RetrieveUpdateAPIView):
    """Show or update the user the request is authenticated as."""

    queryset = User.objects.all()
    serializer_class = UserSerializer

    def get_object(self):
        # request.user may be as old as the revocation lag: use the row as it is now.
        return self.get_queryset().get(pk=self.request.user.pk)
{%- if cookiecutter.user_registration %}


class RegistrationView(generics.CreateAPIView):
    """Create an account. It does not log in: call the token endpoint next."""

    serializer_class = RegistrationSerializer
    permission_classes = (AllowAny,)
    authentication_classes = ()
{%- if cookiecutter.throttling %}
    throttle_scope = "register"
{%- endif %}
{%- endif %}
