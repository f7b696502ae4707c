"""Excel workbooks as deterministic bytes: the same sheets give the same file.

openpyxl stamps the document properties with the current time and the zip entries with the
time of writing; both are fixed here so a generated form or report can be compared byte for
byte (and carries no trace of when or where it was made).
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import Any

FIXED_TIME = datetime.datetime(2000, 1, 1, 0, 0, 0)


def workbook_bytes(workbook: Any) -> bytes:
    """An openpyxl Workbook saved to bytes with fixed timestamps."""
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = "advisor"
    workbook.properties.lastModifiedBy = None
    raw = io.BytesIO()
    workbook.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" while saving
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", data)
            target.writestr(fixed, data)
    return out.getvalue()
