"""DRF's JSON parser, closed where it leaves a gap."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """Answer a body nested too deeply for Python's JSON decoder with a 400, not a 500.

    DRF turns a ``ValueError`` into a parse error, but ``[`` repeated a
    hundred thousand times raises ``RecursionError`` instead.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON parse error - the body is nested too deeply.") from error
