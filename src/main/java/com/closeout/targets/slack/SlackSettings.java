package com.closeout.targets.slack;

import com.closeout.targets.rest.RestEndpoint;
import com.closeout.targets.rest.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Slack coordinator channel.
 *
 * @param apiUrl the Web API base, {@code https://slack.com/api} unless a test or proxy says other
 * @param channelId the conversation id, e.g. {@code C0123456789} (not the #name: names change)
 * @param botToken the bot token ({@code xoxb-...}), from a file or the environment; scopes {@code
 *     chat:write} and {@code channels:history} (or {@code groups:history} for a private channel)
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer once connected
 * @param historyLookback how far before an unconfirmed post's first attempt the history is searched
 * @param historyPageSize messages per {@code conversations.history} page
 * @param historyMaxPages pages searched at most before the notice is taken as not posted
 */
public record SlackSettings(
    URI apiUrl,
    String channelId,
    Secret botToken,
    Duration connectTimeout,
    Duration readTimeout,
    Duration historyLookback,
    int historyPageSize,
    int historyMaxPages) {

  public static final URI DEFAULT_API_URL = URI.create("https://slack.com/api");
  public static final Duration DEFAULT_HISTORY_LOOKBACK = Duration.ofMinutes(10);
  public static final int DEFAULT_HISTORY_PAGE_SIZE = 200;
  public static final int DEFAULT_HISTORY_MAX_PAGES = 20;
  private static final Pattern CHANNEL_ID = Pattern.compile("[A-Z0-9]{2,32}");

  public SlackSettings {
    apiUrl = apiUrl == null ? DEFAULT_API_URL : apiUrl;
    Objects.requireNonNull(botToken, "botToken");
    if (channelId == null || !CHANNEL_ID.matcher(channelId.strip()).matches()) {
      throw new IllegalArgumentException(
          "slack: channel-id must be a conversation id such as C0123456789");
    }
    channelId = channelId.strip();
    connectTimeout = connectTimeout == null ? RestEndpoint.DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    readTimeout = readTimeout == null ? RestEndpoint.DEFAULT_READ_TIMEOUT : readTimeout;
    historyLookback = historyLookback == null ? DEFAULT_HISTORY_LOOKBACK : historyLookback;
    if (historyLookback.isNegative()) {
      throw new IllegalArgumentException("slack: history-lookback must not be negative");
    }
    historyPageSize = historyPageSize <= 0 ? DEFAULT_HISTORY_PAGE_SIZE : historyPageSize;
    historyMaxPages = historyMaxPages <= 0 ? DEFAULT_HISTORY_MAX_PAGES : historyMaxPages;
  }

  /** Settings with the documented defaults for everything but the channel and the token. */
  public static SlackSettings of(URI apiUrl, String channelId, Secret botToken) {
    return new SlackSettings(apiUrl, channelId, botToken, null, null, null, 0, 0);
  }
}
