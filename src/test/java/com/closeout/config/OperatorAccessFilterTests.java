package com.closeout.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class OperatorAccessFilterTests {
  private static final String REVERT = "/api/v1/closures/ESC-1/versions/2/revert";

  private static MockHttpServletResponse call(
      OperatorAccessFilter filter, String method, String path, String remote, String auth)
      throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest(method, path);
    request.setRemoteAddr(remote);
    if (auth != null) {
      request.addHeader("Authorization", auth);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    filter.doFilter(request, response, chain);
    if (chain.getRequest() != null) {
      response.setStatus(299); // marks "passed through to the controller"
    }
    return response;
  }

  @Test
  void withATokenOnlyABearerOfThatTokenMayRevertResolveOrReconcile() throws Exception {
    OperatorAccessFilter filter = new OperatorAccessFilter(new ApiProperties("s3cret", null));

    assertThat(call(filter, "POST", REVERT, "10.1.2.3", null).getStatus()).isEqualTo(401);
    assertThat(call(filter, "POST", REVERT, "127.0.0.1", "Bearer wrong").getStatus())
        .isEqualTo(401);
    assertThat(call(filter, "POST", REVERT, "10.1.2.3", "Bearer s3cret").getStatus())
        .isEqualTo(299);
    assertThat(
            call(filter, "POST", "/api/v1/follow-ups/4/resolution", "10.1.2.3", null).getStatus())
        .isEqualTo(401);
    assertThat(call(filter, "POST", "/api/v1/reconciliation", "10.1.2.3", null).getStatus())
        .isEqualTo(401);
  }

  @Test
  void aRefusalIsAProblemThatNeverEchoesTheToken() throws Exception {
    OperatorAccessFilter filter = new OperatorAccessFilter(new ApiProperties("s3cret", null));

    MockHttpServletResponse refused = call(filter, "POST", REVERT, "10.1.2.3", "Bearer guess");

    assertThat(refused.getContentType()).isEqualTo("application/problem+json");
    assertThat(refused.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(refused.getContentAsString()).doesNotContain("s3cret").doesNotContain("guess");
  }

  @Test
  void withoutATokenOnlyCallersOnThisMachineGetThrough() throws Exception {
    OperatorAccessFilter filter = new OperatorAccessFilter(new ApiProperties(null, null));

    assertThat(call(filter, "POST", REVERT, "127.0.0.1", null).getStatus()).isEqualTo(299);
    assertThat(call(filter, "POST", REVERT, "::1", null).getStatus()).isEqualTo(299);
    assertThat(call(filter, "POST", REVERT, "192.168.7.9", null).getStatus()).isEqualTo(403);
  }

  @Test
  void theWebhookAndReadOnlyViewsAreNotItsConcern() throws Exception {
    OperatorAccessFilter filter = new OperatorAccessFilter(new ApiProperties("s3cret", null));

    assertThat(call(filter, "POST", "/api/v1/events", "10.1.2.3", null).getStatus()).isEqualTo(299);
    assertThat(call(filter, "GET", "/api/v1/closures/ESC-1", "10.1.2.3", null).getStatus())
        .isEqualTo(299);
  }

  @Test
  void theTokenFileWinsAndTheTokenNeverShowsInToString(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "from-file\n");
    ApiProperties properties = new ApiProperties("from-env", file);

    assertThat(properties.token()).contains("from-file");
    assertThat(properties.toString()).doesNotContain("from-env").doesNotContain("from-file");
  }
}
