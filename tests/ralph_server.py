"""Run Ralph's LRS (ralph-malph 5.1.0, fs backend) for the tests: `python ralph_server.py PORT`
with Ralph's own interpreter (.venv-ralph/bin/python), RALPH_APP_DIR (auth.json) and
RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH set.

It starts the same ASGI app as `ralph runserver -b fs`, in one process (no reloader), with
one change: Ralph 5.1.0's fs LRS backend writes each POST with operation "create", which
refuses once its statements file exists, so only the first POST of a server's life would
be stored and every later one answers 500 ("Statements bulk indexation failed"). Here that
backend appends instead, as a file-based LRS must. Nothing else differs.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
