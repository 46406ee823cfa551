"""The floor: the least work that syncs a sheet. Fetch the same pages, parse them, write one line per row.

`python -m benchmarks.floor BASE_URL TOKEN SHEET_ID PAGE_SIZE`
"""

from __future__ import annotations

import json
import math
import sys

import requests


def main() -> int:
    base_url, token, sheet_id, page_size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    out = sys.stdout
    page = 1
    while True:
        params = {"level": 2, "include": "objectValue,writerInfo", "page": page, "pageSize": page_size}
        body = json.loads(session.get(f"{base_url}/sheets/{sheet_id}", params=params, timeout=60).content)
        for row in body["rows"]:
            record = {"id": row["id"], "modifiedAt": row["modifiedAt"]}
            for cell in row["cells"]:
                record[str(cell["columnId"])] = cell.get("objectValue", cell.get("value"))
            out.write(json.dumps(record))
            out.write("\n")
        if page >= math.ceil(body["totalRowCount"] / page_size):
            return 0
        page += 1


if __name__ == "__main__":
    sys.exit(main())
