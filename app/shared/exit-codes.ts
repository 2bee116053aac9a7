/** Exit statuses shared by the daemon, its hosts and the CLI. */
export const EXIT_OK = 0;
/** Unexpected failure. */
export const EXIT_FAILURE = 1;
/** Bad input: one line names the item and the field. */
export const EXIT_USAGE = 2;
/** Another daemon already serves this user's socket: the host must not restart this one. */
export const EXIT_ALREADY_RUNNING = 3;
