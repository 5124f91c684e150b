from . import isp_kpi
