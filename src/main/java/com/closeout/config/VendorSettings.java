package com.closeout.config;

/** The vendor connectors' own settings, beside {@code closeout.targets.<system>.*}. */
public record VendorSettings(JiraProperties jira, ServiceNowProperties serviceNow) {
  public VendorSettings {
    jira = jira == null ? JiraProperties.empty() : jira;
    serviceNow = serviceNow == null ? ServiceNowProperties.empty() : serviceNow;
  }

  public static VendorSettings none() {
    return new VendorSettings(null, null);
  }
}
