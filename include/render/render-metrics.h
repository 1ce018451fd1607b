/* SPDX-License-Identifier: MIT */
/* metrics: the Prometheus text exposition format (render-metrics.c). */
#ifndef II_RENDER_METRICS_H
#define II_RENDER_METRICS_H

#include <stdio.h>

#include "metrics.h"

/* Every family with its # HELP and # TYPE lines, then its samples: 0, or -1 when f failed. */
int render_metrics(FILE *f, const struct ii_metrics *m);

#endif
