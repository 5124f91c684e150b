from . import isp_stock_region_report
