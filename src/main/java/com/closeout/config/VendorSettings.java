package com.closeout.config;

import com.closeout.targets.notice.NoticeDeliveries;

/**
 * The vendor connectors' own settings, beside {@code closeout.targets.<system>.*}.
 *
 * @param chatAndArchive Slack, Teams and S3
 * @param noticeDeliveries the notice-delivery record a Slack or Teams channel needs; null without a
 *     store
 */
public record VendorSettings(
    JiraProperties jira,
    ServiceNowProperties serviceNow,
    SlackTeamsS3Properties chatAndArchive,
    NoticeDeliveries noticeDeliveries) {
  public VendorSettings {
    jira = jira == null ? JiraProperties.empty() : jira;
    serviceNow = serviceNow == null ? ServiceNowProperties.empty() : serviceNow;
    chatAndArchive = chatAndArchive == null ? SlackTeamsS3Properties.none() : chatAndArchive;
  }

  public VendorSettings(JiraProperties jira, ServiceNowProperties serviceNow) {
    this(jira, serviceNow, null, null);
  }

  public static VendorSettings none() {
    return new VendorSettings(null, null);
  }
}
