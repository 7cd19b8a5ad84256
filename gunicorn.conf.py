"""gunicorn's settings for the portal (the Procfile and the benchmarks use them).

Sized from the cores: the portal's requests spend most of their time in Python, so more processes than cores buy
little and more threads per process let a request waiting on PostgreSQL or Redis leave the core to another. The
figures behind the defaults are in bench/RESULTS.md. WEB_WORKERS and WEB_THREADS override them.
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("WEB_THREADS", 4))
worker_class = "gthread" if threads > 1 else "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (with jitter, not all at once): memory cannot creep for ever.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
