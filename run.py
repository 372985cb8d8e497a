"""Serve the course locally: `python run.py [--host 127.0.0.1] [--port 5000]`.

Brings the database up to date and imports the course when it has none, then serves
with Flask's development server. In production use gunicorn (see README).
"""

from __future__ import annotations

import argparse
import logging
import os
import threading

os.environ.setdefault("LMS_ENV", "development")

from pathlib import Path  # noqa: E402

from flask_migrate import upgrade  # noqa: E402

from lms import create_app  # noqa: E402
from lms.content import service as content  # noqa: E402
from lms.mail import service as mail  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("LMS_BASE_URL", f"http://{args.host}:{args.port}")
    app = create_app()
    with app.app_context():
        upgrade()
        if content.get_outline() is None:
            report = content.import_content(Path(app.config["LMS_CONTENT_DIR"]))
            logging.info("imported the course: %s", report)
    # The mail delivery loop, in this process (under gunicorn it is `flask --app lms mail deliver`).
    threading.Thread(target=mail.deliver_forever, args=(app,), daemon=True, name="mail").start()
    if not app.config["LMS_MAIL_URL"]:
        logging.info("mail is not sent but written to %s (set LMS_MAIL_URL to send it)", app.config["LMS_MAIL_DIR"])
    app.run(host=args.host, port=args.port, debug=False)


if __name__ == "__main__":
    main()
