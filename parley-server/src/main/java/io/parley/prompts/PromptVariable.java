package io.parley.prompts;

/**
 * A variable a prompt version declares. A variable is either required (the caller must supply a
 * value) or optional, in which case {@code defaultValue} is used when no value is given (an
 * optional variable without a default renders as empty text). Required variables cannot have a
 * default.
 *
 * @param name lower-case letters, digits and underscores, starting with a letter
 * @param required whether rendering fails (422) when no value is supplied
 * @param defaultValue the text used for an optional variable without a value, or null
 * @param description what the value means, for whoever maps lead data to it, or null
 */
public record PromptVariable(
    String name, boolean required, String defaultValue, String description) {}
