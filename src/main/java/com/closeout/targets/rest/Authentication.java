package com.closeout.targets.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** How Closeout proves who it is to one target system. Secrets print as {@code [redacted]}. */
public sealed interface Authentication {

  /** The {@code Authorization} header value, when this kind sends one. */
  default Optional<String> authorizationHeader() {
    return Optional.empty();
  }

  /** The TLS context presenting a client certificate, when this kind uses one. */
  default Optional<SSLContext> sslContext() {
    return Optional.empty();
  }

  /** The kind's configuration name: none, bearer, basic or client-certificate. */
  String type();

  record None() implements Authentication {
    @Override
    public String type() {
      return "none";
    }
  }

  record Bearer(Secret token) implements Authentication {
    public Bearer {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public Optional<String> authorizationHeader() {
      return Optional.of("Bearer " + token.reveal());
    }

    @Override
    public String type() {
      return "bearer";
    }
  }

  record Basic(String username, Secret password) implements Authentication {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (username.contains(":")) {
        throw new IllegalArgumentException("a basic-auth username cannot contain ':'");
      }
    }

    @Override
    public Optional<String> authorizationHeader() {
      String pair = username + ":" + password.reveal();
      return Optional.of(
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String type() {
      return "basic";
    }
  }

  /**
   * A client certificate from a PKCS12 keystore; the server is trusted by the JVM's default trust
   * store (javax.net.ssl.trustStore when set). The keystore is loaded once, at construction, so a
   * wrong password or file fails at start-up, not on the first closure.
   */
  record ClientCertificate(Path keystore, Secret password, SSLContext context)
      implements Authentication {
    public ClientCertificate {
      Objects.requireNonNull(keystore, "keystore");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(context, "context");
    }

    public static ClientCertificate load(Path keystore, Secret password) {
      char[] pass = password.reveal().toCharArray();
      try (InputStream in = Files.newInputStream(keystore)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, pass);
        if (!store.aliases().hasMoreElements()) {
          throw new IllegalStateException("keystore " + keystore + " holds no key");
        }
        KeyManagerFactory keys =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, pass);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return new ClientCertificate(keystore, password, context);
      } catch (IOException | GeneralSecurityException e) {
        // The exception's message names no secret; the path is configuration.
        throw new IllegalStateException(
            "cannot load client certificate keystore " + keystore + ": " + e.getMessage(), e);
      }
    }

    @Override
    public Optional<SSLContext> sslContext() {
      return Optional.of(context);
    }

    @Override
    public String type() {
      return "client-certificate";
    }

    @Override
    public String toString() {
      return "ClientCertificate[keystore=" + keystore + ", password=" + password + "]";
    }
  }
}
