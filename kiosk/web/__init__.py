"""The kiosk blueprint: every screen a passer-by sees at /k/<kiosk-code>/.

Screens are split by what the visitor is doing (browse, register, booking); each module
adds its routes to this one blueprint.
"""

from kiosk.web import (  # noqa: F401  (each module's routes attach to bp)
    booking,
    browse,
    bus,
    errors,
    home,
    mypage,
    phone_actions,
    register,
    staff_call,
    verify,
    voice,
)
from kiosk.web.blueprint import bp  # noqa: F401
