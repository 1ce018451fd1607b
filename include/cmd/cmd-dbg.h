/* SPDX-License-Identifier: MIT */
/*
 * Nothing command-level about debugfs is left: ii_system_load() reads it
 * (II_LOAD_DBG_*), the model explains it (include/model/domains.h) and the
 * renderers print it (include/render/render-dbg.h). This header only keeps
 * the includes of the files that still name it (src/cmd/cmd-faults.c, for
 * ii_fault_note); include those headers instead, and remove it.
 */
#ifndef II_CMD_DBG_H
#define II_CMD_DBG_H

#include "cmd-common.h"
#include "domains.h"
#include "render-dbg.h"

#endif
