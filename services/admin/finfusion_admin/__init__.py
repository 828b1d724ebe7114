"""The FinFusion admin API: the seed's ``/v1/api-keys`` endpoints over a registry, for
people (admin tokens with roles) and for the browser console.

>>> app = create_app(registry, tokens)            # an ASGI application (Starlette)  # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1", port=8080)                                     # doctest: +SKIP
"""

from .app import create_app
from .mailer import Mailer, SmtpSettings
from .tokens import ROLES, AdminTokens, Principal

__all__ = ["create_app", "AdminTokens", "Principal", "ROLES", "Mailer", "SmtpSettings"]
