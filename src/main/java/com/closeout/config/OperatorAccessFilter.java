package com.closeout.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the operator API, the requests that change closures: revert, follow-up resolution and
 * reconciliation. The webhook and the read-only views are not its concern. A token, when
 * configured, is compared in constant time; without one only loopback callers get through.
 */
public class OperatorAccessFilter extends OncePerRequestFilter {
  private static final Pattern OPERATOR_PATHS =
      Pattern.compile(
          "/api/v1/(closures/[^/]+/versions/[^/]+/revert|follow-ups/[^/]+/resolution"
              + "|reconciliation)");

  private final Optional<byte[]> token;

  public OperatorAccessFilter(ApiProperties properties) {
    this.token = properties.token().map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod())
        || !OPERATOR_PATHS.matcher(request.getRequestURI()).matches();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (token.isPresent()) {
      String header = request.getHeader("Authorization");
      byte[] given =
          header != null && header.startsWith("Bearer ")
              ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8)
              : new byte[0];
      if (!MessageDigest.isEqual(given, token.get())) {
        refuse(response, 401, "a valid operator token is required (Authorization: Bearer ...)");
        return;
      }
    } else if (!loopback(request.getRemoteAddr())) {
      refuse(
          response,
          403,
          "no operator token is configured, so only callers on this machine may use the operator"
              + " API; set closeout.api.operator-token(-file) to allow others");
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean loopback(String address) {
    try {
      return address != null && InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void refuse(HttpServletResponse response, int status, String detail)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    response
        .getWriter()
        .write(
            "{\"type\":\"about:blank\",\"title\":\""
                + (status == 401 ? "Unauthorized" : "Forbidden")
                + "\",\"status\":"
                + status
                + ",\"detail\":\""
                + detail
                + "\"}");
  }
}
