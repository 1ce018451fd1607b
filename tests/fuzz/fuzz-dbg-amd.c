// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the AMD-Vi debugfs files (devtbl and DTE decoding, the
 * offset/value files, cmdbuf, irqtbl). The first byte picks the file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0, n;
	char *buf;

	if (!size)
		return 0;
	n = size - 1;
	buf = malloc(n ? n : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, n);
	switch (data[0] % 4) {
	case 0: {
		struct ii_amd_dte d;
		struct ii_amd_dte_info di;
		const char *msg;
		int rc = ii_amd_devtbl_parse(buf, n, &d, &msg);

		if (rc != 0 && rc != -ENOENT && rc != -EINVAL)
			abort();
		if (rc == -ENOENT && !msg)
			abort();
		if (rc == 0) {
			ii_amd_dte_decode(&d, &di);
			if (di.mode > 7 || (di.pgd & 0xfff) || d.bdf.dev > 0x1f || d.bdf.fn > 7)
				abort();
		}
		break;
	}
	case 1: {
		uint32_t o;
		uint64_t v;
		int rc = ii_amd_offset_value_parse(buf, n, &o, &v);

		if (rc != 0 && rc != -ENOENT && rc != -EINVAL)
			abort();
		break;
	}
	case 2: {
		struct ii_amd_cmdbuf p;

		ii_amd_cmdbuf_init(&p);
		while (off < n) {
			const char *nl = memchr(buf + off, '\n', n - off);
			size_t len = nl ? (size_t)(nl - (buf + off)) : n - off;
			enum ii_dl e = ii_amd_cmdbuf_line(&p, buf + off, len);

			if (e == II_DL_BAD && !p.why)
				abort();
			if (e == II_DL_ROW)
				(void)ii_amd_cmd_name(&p.row);
			off += len + 1;
		}
		break;
	}
	default: {
		struct ii_amd_irqtbl p;

		ii_amd_irqtbl_init(&p);
		while (off < n) {
			const char *nl = memchr(buf + off, '\n', n - off);
			size_t len = nl ? (size_t)(nl - (buf + off)) : n - off;
			enum ii_dl e = ii_amd_irqtbl_line(&p, buf + off, len);

			if (e == II_DL_BAD && !p.why)
				abort();
			if (e == II_DL_ROW && !p.row.ga && p.row.lo > 0xffffffffULL)
				abort();
			off += len + 1;
		}
		break;
	}
	}
	free(buf);
	return 0;
}
