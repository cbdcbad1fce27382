/** Tokens every prompt leaves free for the model's answer: chat history and meeting transcripts are cut to the context window less this. */
export const replyReserveTokens = 1024;
