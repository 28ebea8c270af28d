/* runtime: the parts of the running bot that talk to Telegram, each driven by
 * the loop. bootstrap checks the token and announces the commands, then starts
 * the poller (getUpdates -> dispatch) and the sender (outbox -> Telegram). */
#ifndef SERTIBOT_RUNTIME_H
#define SERTIBOT_RUNTIME_H

struct app;

/* Sets up the timers; call once before uv_run. */
void runtime_init(struct app *app);

/* bootstrap.c: deleteWebhook, getMe, setMyCommands; retries what can be
 * retried and ends the bot on 401/409. Starts the poller and sender when done. */
void bootstrap_start(struct app *app);

/* poller.c */
void poller_start(struct app *app);
void poller_stop(struct app *app);

/* sender.c: sender_kick asks for a look at the outbox on the next loop turn. */
void sender_start(struct app *app);
void sender_kick(struct app *app);
void sender_stop(struct app *app);

/* scheduler.c: the jobs that run on time (reminders, warnings); a kick
 * after a change makes it look again soon. */
void scheduler_start(struct app *app);
void scheduler_kick(struct app *app);
void scheduler_stop(struct app *app);

/* downloads.c: copies the files people sent into documents_dir (getFile),
 * so a case keeps its letters if Telegram drops them. */
void downloads_start(struct app *app);
void downloads_kick(struct app *app);
void downloads_stop(struct app *app);

/* app.c: every Telegram callback calls this last, so a stop can complete once
 * nothing is in flight. */
void app_request_finished(struct app *app);
/* Answers a button press right away; not through the outbox, since an answer
 * is only useful in the first seconds and never worth retrying. */
void app_answer_callback(struct app *app, const char *callback_id, const char *text, int alert);
/* Ends the bot because of a fatal Telegram answer, with a line for the operator. */
void app_fatal_reply(struct app *app, const char *method, int outcome, const char *description);

#endif
