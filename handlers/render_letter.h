/* render_letter: `sertibot render-letter --case SE-0001 --kind
 * recommendation|notification|disposition --out FILE.pdf [--config FILE]`.
 *
 * Writes one of a case's documents as a PDF file, from the same database
 * the bot uses (a reader beside it is fine in WAL mode): the recommendation
 * or notification as last signed (with its number) when one was, else the
 * draft; or the disposition sheet. Business time is the system clock, or
 * SERTIBOT_CLOCK_FILE's as for the bot. Returns the process exit code:
 * EXIT_CLEAN, EXIT_USAGE for a bad command line, config or case, and
 * EXIT_RUNTIME when the database or the file fails. */
#ifndef SERTIBOT_RENDER_LETTER_H
#define SERTIBOT_RENDER_LETTER_H

/* argv[0] is "render-letter". */
int render_letter_main(int argc, char **argv);

#endif
