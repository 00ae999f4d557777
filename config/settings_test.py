"""The test suite's settings: config.settings with a fixed key and plain static-file storage.

Production refuses to start without SECRET_KEY (config/settings.py); the tests run with DEBUG off
like production, so they set a key of their own. It goes into the environment, so that the
processes a test starts (manage.py, gunicorn) get it too unless the test says otherwise. Static
files are served from the apps' folders, so the tests need no collectstatic.
"""

import os

os.environ.setdefault("SECRET_KEY", "kofu-tests-only-not-secret-" + "x" * 40)
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")

from config.settings import *  # noqa: F403

# the tests serve static files from the apps' folders (finders), never from a collected copy
STATIC_ROOT = None
