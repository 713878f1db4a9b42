package io.parley.telephony;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** Puts the signature check in front of every Twilio webhook. */
@Configuration(proxyBeanMethods = false)
class TelephonyConfiguration {

  /**
   * Runs after the character-encoding and forwarded-header filters (both at the highest
   * precedence), so parameters decode as UTF-8 and the request URL is the one the proxy saw.
   */
  @Bean
  FilterRegistrationBean<TwilioSignatureFilter> twilioSignatureFilter(
      TwilioSignatures signatures, PublicUrls urls, JsonMapper json) {
    FilterRegistrationBean<TwilioSignatureFilter> registration =
        new FilterRegistrationBean<>(new TwilioSignatureFilter(signatures, urls, json));
    registration.addUrlPatterns("/twilio/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
    return registration;
  }
}
