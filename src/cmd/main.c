// SPDX-License-Identifier: MIT
/* iommu-inspect: show what the IOMMU is doing. */
#include <signal.h>

#include "cmd.h"

int main(int argc, char **argv)
{
	/* a closed pipe (`| head`) ends the output quietly instead of killing us mid-line */
	signal(SIGPIPE, SIG_IGN);
	return ii_main(argc, argv);
}
