from . import (
    isp_job_complete_wizard,
    isp_job_complete_wizard_line,
    isp_job_complete_wizard_reading,
    isp_stock_request_wizard,
    isp_stock_request_wizard_line,
)
