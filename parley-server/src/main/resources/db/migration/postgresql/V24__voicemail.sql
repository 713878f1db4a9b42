-- Voicemail drop (issue 19): the message an outbound call leaves on an answering machine after its
-- greeting's beep, as it stood when the call was placed (the agent's voicemail.message), so the
-- call and the answering-machine callback do not read the agent again. Null: a machine is hung up
-- on silently (outcome machine); set: the agent speaks it, then hangs up (outcome voicemail_left).
ALTER TABLE call_record ADD COLUMN voicemail_message VARCHAR(1000);
