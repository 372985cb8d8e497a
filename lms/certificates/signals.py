"""What happened to certificates, for the features above to act on (lms.xapi) without
certificates importing them. Receivers run inside the claim's unit of work, before its commit."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the new Certificate, added to the session and not yet committed.
certificate_issued = _signals.signal("certificate-issued")
