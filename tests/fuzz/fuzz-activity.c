// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the lines of an activity recording (ii_act_parse_line),
 * each line that parses written again (ii_act_format_*) and parsed again to
 * the same thing; the same bytes as proc/interrupts (ii_parse_irq_rows) and
 * as PMU format, event and CPU-list text (src/parse/parse-pmu.c).
 */
#include <stdlib.h>
#include <string.h>

#include "actdata.h"
#include "pmufmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_again(const struct ii_actl *l)
{
	struct strbuf sb = { 0 };
	struct ii_actl m;

	if (l->kind == II_ACTL_HEADER)
		ii_act_format_header(&sb, &l->hdr);
	else if (l->kind == II_ACTL_READING)
		ii_act_format_reading(&sb, &l->rd);
	else if (l->kind == II_ACTL_KMSG)
		ii_act_format_kmsg(&sb, &l->kmsg);
	else
		return;
	/* one line, with its newline, that reads back as what was written */
	if (!sb.len || sb.buf[sb.len - 1] != '\n' || memchr(sb.buf, '\n', sb.len - 1))
		abort();
	if (ii_act_parse_line(sb.buf, sb.len - 1, &m) != l->kind)
		abort();
	if (l->kind == II_ACTL_READING &&
	    (m.rd.nctrs != l->rd.nctrs || m.rd.nirqs != l->rd.nirqs || m.rd.t_ns != l->rd.t_ns ||
	     (m.rd.nctrs && m.rd.ctrs[0].value != l->rd.ctrs[0].value)))
		abort();
	if (l->kind == II_ACTL_KMSG &&
	    (m.kmsg.seq != l->kmsg.seq || m.kmsg.text_len != l->kmsg.text_len ||
	     memcmp(m.kmsg.text, l->kmsg.text, l->kmsg.text_len)))
		abort();
	if (l->kind == II_ACTL_HEADER && m.hdr.nunits != l->hdr.nunits)
		abort();
	ii_actl_free(&m);
	sb_free(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	const char *line, *why;
	struct ii_irq_row *rows;
	struct ii_pmu_field f[2];
	uint64_t config[3];
	size_t n;
	int *cpus;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (line = s; line < s + size;) {
		const char *nl = memchr(line, '\n', (size_t)(s + size - line));
		size_t len = nl ? (size_t)(nl - line) : (size_t)(s + size - line);
		struct ii_actl l;
		enum ii_actl_kind k = ii_act_parse_line(line, len, &l);

		if (k == II_ACTL_BAD && !l.why)
			abort();
		same_again(&l);
		ii_actl_free(&l);
		line += len + 1;
	}

	n = ii_parse_irq_rows(s, NULL, 0, &rows);
	for (size_t i = 0; i < n; i++)
		if (!rows[i].name[0])
			abort();
	free(rows);

	if (ii_parse_pmu_format("a", s, &f[0], &why) == 0) {
		if (!f[0].nranges || f[0].word > 2 || ii_pmu_field_width(&f[0]) > 64 * 4)
			abort();
		f[1] = f[0];
		strcpy(f[1].name, "b");
		if (ii_pmu_place(f, 2, "a=1,b=0x1", config, &why) != 0)
			abort();
	}
	if (ii_parse_pmu_format("event", "config:0-15", &f[0], &why) == 0)
		ii_pmu_place(f, 1, s, config, &why);
	if (ii_parse_cpulist(s, &cpus, &n) == 0) {
		for (size_t i = 1; i < n; i++)
			if (cpus[i] <= cpus[i - 1])
				abort();
		free(cpus);
	}
	free(s);
	return 0;
}
