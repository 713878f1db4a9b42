package io.parley.campaigns;

/** What one data line of a lead file turned out to be. */
sealed interface LeadLine {

  /** The line in the file (the header is line 1). */
  int line();

  /** A lead to store (pending, or held with its reason). */
  record Lead(int line, NewLead lead) implements LeadLine {}

  /**
   * A line that is not a lead.
   *
   * @param phoneText the phone cell as written, or null
   */
  record Invalid(int line, String phoneText, String reason) implements LeadLine {}
}
