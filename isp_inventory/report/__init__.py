from . import isp_stock_count_report
