tests/debugfs/t-debugfs.sh: line 235: 11: Bad file descriptor
