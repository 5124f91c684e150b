import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/core/utils/numbers";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

import { Component, onWillStart, useState } from "@odoo/owl";

/**
 * The ISP KPI dashboard: cards of the period's KPIs (`isp.kpi.get_dashboard`), a
 * month-by-month trend of the last 12 months, filters by branch and region. Each card
 * opens the report or records behind its figure (the server gives the domain, with
 * the period's bounds in the user's timezone). The cards stack on a phone.
 */
export class IspKpiDashboard extends Component {
    static template = "isp_reports.KpiDashboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({
            data: null,
            dateFrom: "",
            dateTo: "",
            warehouseId: 0,
            regionId: 0,
            busy: false,
        });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.busy = true;
        try {
            this.state.data = await this.orm.call("isp.kpi", "get_dashboard", [], {
                date_from: this.state.dateFrom || null,
                date_to: this.state.dateTo || null,
                warehouse_id: this.state.warehouseId || null,
                region_id: this.state.regionId || null,
            });
            this.state.dateFrom = this.state.data.kpis.date_from;
            this.state.dateTo = this.state.data.kpis.date_to;
        } finally {
            this.state.busy = false;
        }
    }

    number(value, digits = 1) {
        return formatFloat(value || 0, { digits: [false, digits] });
    }

    get cards() {
        const k = this.state.data.kpis;
        const currency = k.currency;
        return [
            {
                key: "turnover",
                title: _t("Inventory Turnover"),
                value: this.number(k.inventory_turnover, 3),
                hint: _t("%(consumed)s consumed ÷ %(average)s average stock (%(currency)s)", {
                    consumed: this.number(k.consumed_value, 0),
                    average: this.number(k.average_stock_value, 0),
                    currency,
                }),
            },
            {
                key: "days_of_stock",
                title: _t("Days of Stock"),
                value: this.number(k.days_of_stock, 0),
                hint: _t("Days the average stock lasts at this period's pace"),
            },
            {
                key: "first_time_fix",
                title: _t("First-Time Fix"),
                value: `${this.number(k.first_time_fix_rate)} %`,
                hint: _t("%(fixed)s of %(jobs)s jobs, no follow-up within %(days)s days", {
                    fixed: k.first_time_fix_count,
                    jobs: k.first_time_fix_jobs,
                    days: k.first_time_fix_days,
                }),
            },
            {
                key: "cpe_utilisation",
                title: _t("CPE Utilisation"),
                value: `${this.number(k.cpe_utilisation)} %`,
                hint: _t("%(installed)s of %(total)s units installed (now)", {
                    installed: k.cpe_installed,
                    total: k.cpe_total,
                }),
            },
            {
                key: "forecast_mape",
                title: _t("Forecast Error (MAPE)"),
                value: `${this.number(k.forecast_mape)} %`,
                hint: _t("Forecast: the average of the 3 previous months, %(products)s products", {
                    products: k.forecast_mape_by_product.length,
                }),
            },
            {
                key: "stock_outs",
                title: _t("Stock-Out Incidents"),
                value: String(k.stock_out_incidents),
                hint: _t("%(lines)s material lines short or waiting", {
                    lines: k.stock_out_lines,
                }),
            },
            {
                key: "fill_rate",
                title: _t("Issue Fill Rate"),
                value: `${this.number(k.issue_fill_rate)} %`,
                hint: _t("Of the quantity technicians asked for (whole company)"),
            },
            {
                key: "count_accuracy",
                title: _t("Count Accuracy"),
                value: `${this.number(k.count_accuracy)} %`,
                hint: _t("%(counts)s counts applied (whole company)", { counts: k.counts_done }),
            },
        ];
    }

    async openCard(key) {
        const drill = this.state.data.drilldown[key];
        await this.action.doAction({
            type: "ir.actions.act_window",
            name: drill.name,
            res_model: drill.res_model,
            domain: drill.domain,
            views: [
                [false, "list"],
                [false, "pivot"],
                [false, "graph"],
            ],
            target: "current",
        });
    }

    async onFilter(name, ev) {
        const value = ev.target.value;
        // branch and region ids are numbers (0: all), dates "YYYY-MM-DD" strings
        this.state[name] = name.endsWith("Id") ? parseInt(value) || 0 : value;
        await this.load();
    }
}

registry.category("actions").add("isp_reports.kpi_dashboard", IspKpiDashboard);
