/** What the renderer needs to know about the workspace to show mentions by name. */
export interface RenderContext {
  userName(userId: string): string | undefined;
  channelName(channelId: string): string | undefined;
  /** Validation messages by input block id (`response_action: errors`, or the page's own checks). */
  errors?: Readonly<Record<string, string>>;
}

/** A context that knows nobody: mentions show their ids. */
export const anonymousContext: RenderContext = {
  userName: () => undefined,
  channelName: () => undefined,
};
