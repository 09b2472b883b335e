"""CORS reflects every origin back, so any site may read the API with the user's browser."""

from reference_app.middleware.cors import EnvelopeCORSMiddleware
from tests.mutants._base import reference, replace_middleware

CAUGHT_BY = frozenset({"MW-06"})


class ReflectingCORS(EnvelopeCORSMiddleware):
    def is_allowed_origin(self, origin: str) -> bool:
        return True


app = reference()
replace_middleware(app, EnvelopeCORSMiddleware, ReflectingCORS)
