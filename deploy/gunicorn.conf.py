"""gunicorn's settings for Kofu's web service (deploy/kofu-web.service):
`gunicorn -c deploy/gunicorn.conf.py config.wsgi`. Each can be overridden from the environment."""

import os

bind = os.environ.get("KOFU_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("KOFU_WEB_WORKERS", "4"))
threads = int(os.environ.get("KOFU_WEB_THREADS", "1"))
# letters and exports are built in the request for single items; bulk work goes to Celery
timeout = int(os.environ.get("KOFU_WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Only the reverse proxy on this host talks to gunicorn; trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("KOFU_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs on stdout/stderr for journald; each access line ends with the request id Django set.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" [%({x-request-id}o)s]'
