package com.closeout.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import java.net.URI;

/**
 * A vendor API faked by WireMock with state: every request no test stub claims (a test's own stubs
 * take priority) is answered by the subclass's transformer, which keeps the vendor's records.
 */
public abstract class StatefulVendorFake implements ResponseDefinitionTransformerV2 {
  private final WireMockServer server;

  protected StatefulVendorFake() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(this));
  }

  /** Starts the server with the fake as the lowest-priority answer to everything. */
  protected final void serve() {
    server.start();
    server.stubFor(
        any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers(getName())));
  }

  public WireMockServer server() {
    return server;
  }

  public URI baseUrl() {
    return URI.create(server.baseUrl());
  }

  public void shutdown() {
    server.stop();
  }
}
