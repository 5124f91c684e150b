"""The printed documents as a user gets them: /report/pdf of the running server (real
wkhtmltopdf, not the HTML that Odoo's test mode renders instead), on the one-process
server and on a multi-process one, with the shipped memory limits.

wkhtmltopdf runs as a child of the server and inherits its address-space limit
(`limit_memory_hard`, Odoo's RLIMIT_AS): with 1.5 GiB every A4 document with a header
and footer crashed it (std::bad_alloc) and Print answered with an error. Each PDF must be a
PDF with pages; its HTML rendering (/report/html, the same QWeb) must show the company,
the title and the document's own data, and so must the PDF's own text: Debian's
wkhtmltopdf draws the layouts' web fonts as outlines, so the ISP reports print in a font
installed on the server (isp_inventory/static/src/report/report_font.scss) and their
text can be searched, copied and read back."""

import io

import lxml.html
import pytest
import requests
from conftest import ADMIN_PASSWORD, OUTPUT
from PyPDF2 import PdfReader


def _session(url, db, login, password):
    session = requests.Session()
    login_reply = session.post(
        f"{url}/web/session/authenticate",
        json={"params": {"db": db, "login": login, "password": password}},
        timeout=60,
    )
    assert login_reply.json()["result"]["uid"], f"cannot log in as {login}"
    return session


def _printed(session, url, report, ids, name):
    """(pages of the PDF, text of the HTML rendering) of a report of records `ids`."""
    path = f"{report}/{','.join(map(str, ids))}"
    response = session.get(f"{url}/report/pdf/{path}", timeout=600)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / f"document-{name}.pdf").write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    pdf_text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    html = session.get(f"{url}/report/html/{path}", timeout=600)
    assert html.status_code == 200
    text = " ".join(lxml.html.fromstring(html.content).text_content().split())
    return len(reader.pages), text, pdf_text


@pytest.fixture(scope="module")
def documents(rpc):
    """What to print, with the text each must show."""
    admin = rpc()
    company = admin.call("res.company", "read", [admin.ref("base.main_company")], ["name"])
    count_id = admin.call(
        "isp.stock.count", "search", [("state", "=", "done")], limit=1, order="id"
    )[0]
    count = admin.call("isp.stock.count", "read", [count_id], ["name", "technician_id"])[0]
    kpi_wizard = admin.call("isp.kpi.wizard", "create", {})
    aging = admin.call("isp.stock.aging.report", "search", [], limit=40)
    losses = admin.call("isp.loss.variance.report", "search", [("kind", "=", "loss")], limit=40)
    assert aging and losses, "the demo has stock and losses to print"
    name = company[0]["name"]
    return [
        (
            "count",
            "isp_inventory.isp_stock_count_report",
            [count_id],
            [name, count["name"], count["technician_id"][1]],
        ),
        ("kpis", "isp_reports.report_isp_kpis", [kpi_wizard], [name, "ISP Inventory KPIs"]),
        ("aging", "isp_reports.report_isp_stock_aging", aging, [name, "Stock Aging"]),
        ("losses", "isp_reports.report_isp_loss_variance", losses, [name, "Loss and Variance"]),
    ]


@pytest.mark.parametrize("server", ["one process", "workers"])
def test_documents_print_as_pdf(request, documents, odoo_db, server):
    url = request.getfixturevalue("odoo_url" if server == "one process" else "odoo_workers_url")
    session = _session(url, odoo_db, "admin", ADMIN_PASSWORD)
    for name, report, ids, expected in documents:
        pages, text, pdf_text = _printed(
            session, url, report, ids, f"{name}-{server.replace(' ', '-')}"
        )
        assert pages >= 1
        for snippet in expected:
            assert snippet in text, f"{name}: {snippet!r} not printed"
            assert snippet in pdf_text, f"{name}: {snippet!r} not in the PDF's text"


def test_storekeeper_prints_a_count_statement(rpc, odoo_url, odoo_db, documents):
    _name, report, ids, expected = documents[0]
    session = _session(odoo_url, odoo_db, "store", "store")
    pages, text, pdf_text = _printed(session, odoo_url, report, ids, "count-storekeeper")
    assert pages >= 1
    assert all(snippet in text for snippet in expected), text[:500]
    assert all(snippet in pdf_text for snippet in expected), pdf_text[:500]


def test_print_actions_come_back_over_xmlrpc(rpc, documents):
    """The print buttons' actions (the count statement, the KPI pack, the export
    wizard's PDF) answer over XML-RPC, which cannot carry Odoo's ``data: None``: each
    names its report and the records to print."""
    store = rpc("store", "store")
    admin = rpc()
    count_id = documents[0][2][0]
    action = store.call("isp.stock.count", "action_print", [count_id])
    assert action["report_name"] == "isp_inventory.isp_stock_count_report"
    assert action["context"]["active_ids"] == [count_id]
    kpi_wizard = admin.call("isp.kpi.wizard", "create", {})
    action = admin.call("isp.kpi.wizard", "action_print_pdf", [kpi_wizard])
    assert action["type"] == "ir.actions.report" and "data" not in action
    export = store.call(
        "isp.report.export.wizard", "create", {"report": "loss_variance", "date_from": "2000-01-01"}
    )
    action = store.call("isp.report.export.wizard", "action_print_pdf", [export])
    assert action["type"] == "ir.actions.report"
    assert action["context"]["active_ids"]
