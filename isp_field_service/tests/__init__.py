from . import (
    test_complete_job,
    test_issue_materials,
    test_job_card,
    test_job_costing,
    test_roles,
    test_security,
    test_shortage_forecast,
    test_suggest_materials,
)
from . import test_install_record
from . import test_done_job
from . import test_company_isolation
from . import test_install_record_stock_layer
from . import test_serial_record_job
from . import test_screens
from . import test_job_operation
from . import test_branch_scope_jobs
from . import test_spool_jobs
