/* SPDX-License-Identifier: MIT */
/*
 * Memory tier timing: presets, loaded latency (M/D/1 queueing model or a measured
 * latency-bandwidth curve) and the per-epoch update. Sources and model: docs/tiers.md.
 */
#include "numa/tier.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Preset values and where each comes from are listed in docs/tiers.md. svc_ns is a model
 * parameter (a quarter of the idle read latency), not a measurement: with it the M/D/1 delay
 * doubles the idle latency near 90% utilisation, the shape of published MLC loaded-latency
 * curves.
 */
static const struct tier_params tier_presets[] = {
    {.name = "ddr5-local",
     .rd_lat_ns = 110.0,
     .wr_lat_ns = 110.0,
     .peak_bw_gbps = 245.0,
     .svc_ns = 27.5},
    {.name = "ddr5-remote",
     .rd_lat_ns = 190.0,
     .wr_lat_ns = 190.0,
     .peak_bw_gbps = 100.0,
     .svc_ns = 47.5},
    {.name = "cxl", .rd_lat_ns = 250.0, .wr_lat_ns = 250.0, .peak_bw_gbps = 26.0, .svc_ns = 62.5},
};

bool tier_preset(const char *name, struct tier_params *out)
{
    for (size_t i = 0; i < ARRAY_LEN(tier_presets); i++) {
        if (!strcmp(tier_presets[i].name, name)) {
            *out = tier_presets[i];
            return true;
        }
    }
    return false;
}

const char *tier_preset_names(void)
{
    return "ddr5-local, ddr5-remote, cxl";
}

static bool tier_curve_check(const struct tier_params *p, struct emu_err *err)
{
    if (p->n_curve > TIER_CURVE_MAX) {
        err_set(err, "curve has %u points, at most %d are allowed", p->n_curve, TIER_CURVE_MAX);
        return false;
    }
    for (u32 i = 0; i < p->n_curve; i++) {
        const struct tier_curve_point *c = &p->curve[i];

        if (!(c->bw_gbps > 0.0) || !isfinite(c->bw_gbps)) {
            err_set(err,
                    "curve point %u: bandwidth %g GB/s must be > 0 (the idle point is "
                    "read_lat_ns)",
                    i + 1, c->bw_gbps);
            return false;
        }
        if (!isfinite(c->lat_ns) || c->lat_ns < p->rd_lat_ns) {
            err_set(err, "curve point %u: latency %g ns is below the idle read latency %g ns",
                    i + 1, c->lat_ns, p->rd_lat_ns);
            return false;
        }
        if (i > 0 && c->bw_gbps <= p->curve[i - 1].bw_gbps) {
            err_set(err, "curve point %u: bandwidth %g GB/s is not above the previous point's",
                    i + 1, c->bw_gbps);
            return false;
        }
        if (i > 0 && c->lat_ns < p->curve[i - 1].lat_ns) {
            err_set(err, "curve point %u: latency %g ns falls below the previous point's", i + 1,
                    c->lat_ns);
            return false;
        }
    }
    return true;
}

bool tier_params_check(const struct tier_params *p, struct emu_err *err)
{
    if (!(p->rd_lat_ns > 0.0) || !isfinite(p->rd_lat_ns)) {
        err_set(err, "read latency %g ns must be > 0", p->rd_lat_ns);
        return false;
    }
    if (!(p->wr_lat_ns > 0.0) || !isfinite(p->wr_lat_ns)) {
        err_set(err, "write latency %g ns must be > 0", p->wr_lat_ns);
        return false;
    }
    if (!(p->peak_bw_gbps > 0.0) || !isfinite(p->peak_bw_gbps)) {
        err_set(err, "peak bandwidth %g GB/s must be > 0", p->peak_bw_gbps);
        return false;
    }
    if (!(p->svc_ns >= 0.0) || !isfinite(p->svc_ns)) {
        err_set(err, "queueing service time %g ns must be >= 0", p->svc_ns);
        return false;
    }
    return tier_curve_check(p, err);
}

bool tier_curve_load(const char *path, struct tier_params *p, struct emu_err *err)
{
    char line[256];
    u32 n = 0, lineno = 0;
    FILE *fp = fopen(path, "r");

    if (!fp) {
        err_set_errno(err, errno, "cannot open '%s'", path);
        return false;
    }
    while (fgets(line, sizeof(line), fp)) {
        char *s = line, *end;
        double bw, lat;

        lineno++;
        if (strchr(s, '#'))
            *strchr(s, '#') = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '\n' || *s == '\r')
            continue;
        errno = 0;
        bw = strtod(s, &end);
        if (end == s || errno)
            goto bad;
        s = end;
        lat = strtod(s, &end);
        if (end == s || errno)
            goto bad;
        for (s = end; *s; s++)
            if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
                goto bad;
        if (n == TIER_CURVE_MAX) {
            err_set(err, "'%s' has more than %d points", path, TIER_CURVE_MAX);
            fclose(fp);
            return false;
        }
        p->curve[n].bw_gbps = bw;
        p->curve[n].lat_ns = lat;
        n++;
    }
    fclose(fp);
    if (n == 0) {
        err_set(err, "'%s' holds no points (lines of \"bw_gbps lat_ns\")", path);
        return false;
    }
    p->n_curve = n;
    return true;
bad:
    err_set(err, "'%s' line %u: expected \"bw_gbps lat_ns\"", path, lineno);
    fclose(fp);
    return false;
}

/* Mean M/D/1 waiting time: svc * rho / (2 (1 - rho)), rho capped below 1. */
static double tier_queue_delay_ns(const struct tier_params *p, double offered_gbps)
{
    double rho = offered_gbps / p->peak_bw_gbps;

    if (rho > TIER_RHO_MAX)
        rho = TIER_RHO_MAX;
    return p->svc_ns * rho / (2.0 * (1.0 - rho));
}

/* Loaded read latency from the curve through the implicit idle point (0, rd_lat_ns). */
static double tier_curve_lat_ns(const struct tier_params *p, double x)
{
    double x0 = 0.0, y0 = p->rd_lat_ns;

    for (u32 i = 0; i < p->n_curve; i++) {
        double x1 = p->curve[i].bw_gbps, y1 = p->curve[i].lat_ns;

        if (x <= x1)
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        x0 = x1;
        y0 = y1;
    }
    /* Past the last point: continue the last segment (non-negative slope by construction). */
    if (p->n_curve == 1)
        return y0 + (y0 - p->rd_lat_ns) * (x - x0) / x0;
    {
        const struct tier_curve_point *a = &p->curve[p->n_curve - 2];

        return y0 + (y0 - a->lat_ns) * (x - x0) / (x0 - a->bw_gbps);
    }
}

double tier_loaded_lat_ns(const struct tier_params *p, double offered_gbps, bool is_write)
{
    double delay = 0.0;

    if (offered_gbps > 0.0) {
        if (p->n_curve)
            delay = tier_curve_lat_ns(p, offered_gbps) - p->rd_lat_ns;
        else if (p->peak_bw_gbps > 0.0)
            delay = tier_queue_delay_ns(p, offered_gbps);
    }
    return (is_write ? p->wr_lat_ns : p->rd_lat_ns) + delay;
}

/* The latencies in effect from now on. */
static void tier_set_lat(struct tier_state *t, double rd_ns, double wr_ns)
{
    t->cur_rd_lat_ns = rd_ns;
    t->cur_wr_lat_ns = wr_ns;
    t->cur_rd_lat_ns_trunc = (u64)rd_ns;
    t->cur_wr_lat_ns_trunc = (u64)wr_ns;
}

void tier_init(struct tier_state *t, const struct tier_params *p)
{
    memset(t, 0, sizeof(*t));
    t->params = *p;
    tier_set_lat(t, p->rd_lat_ns, p->wr_lat_ns);
}

void tier_epoch_end(struct tier_state *t, double epoch_ns)
{
    if (!(epoch_ns > 0.0))
        return;
    t->offered_gbps = (double)t->epoch_bytes / epoch_ns;
    tier_set_lat(t, tier_loaded_lat_ns(&t->params, t->offered_gbps, false),
                 tier_loaded_lat_ns(&t->params, t->offered_gbps, true));
    t->epoch_bytes = 0;
}

void tier_register_stats(struct tier_state *t, struct stats_group *g)
{
    stats_counter(g, "reads", &t->n_reads, "count", "read accesses (LLC-miss fills) to this node");
    stats_counter(g, "writes", &t->n_writes, "count", "write accesses (writebacks) to this node");
    stats_counter(g, "read_bytes", &t->read_bytes, "bytes", "bytes read from this node");
    stats_counter(g, "write_bytes", &t->write_bytes, "bytes", "bytes written to this node");
    stats_counter(g, "lat_ns_sum", &t->lat_ns_sum, "ns",
                  "latency charged for this node's accesses");
    stats_gauge(g, "offered_gbps", &t->offered_gbps, "GB/s", "bandwidth offered in the last epoch");
    stats_gauge(g, "loaded_lat_ns", &t->cur_rd_lat_ns, "ns", "read latency in effect this epoch");
}
