package io.parley.sms;

import io.parley.shared.InvalidInputException;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The conversation with one number: its texts and calls in time order, merged from the two tables.
 * Each side is read in order up to the end of the page asked for, and the two are merged, so a page
 * costs at most two index reads of {@code (page + 1) * size} rows; pages are capped at the first
 * {@value #MAX_DEPTH} entries (the latest ones are the first pages with {@code order=desc}).
 */
@Service
class Conversations {

  static final int MAX_DEPTH = 10_000;

  private static final Comparator<ConversationItem> OLDEST_FIRST =
      Comparator.comparing(ConversationItem::at).thenComparing(i -> i.id().toString());

  private final MessageRepository messages;
  private final ConversationCalls calls;

  Conversations(MessageRepository messages, ConversationCalls calls) {
    this.messages = messages;
    this.calls = calls;
  }

  @Transactional(readOnly = true)
  Page<ConversationItem> with(
      UUID organisationId, String number, boolean newestFirst, PageRequest request) {
    long depth = request.offset() + request.size();
    if (depth > MAX_DEPTH) {
      throw new InvalidInputException(
          "page",
          "reaches past the first "
              + MAX_DEPTH
              + " entries of the conversation; read the latest with order=desc");
    }
    int limit = (int) depth;
    List<ConversationItem> merged = new ArrayList<>();
    messages.withNumber(organisationId, number, limit, newestFirst).stream()
        .map(ConversationItem::of)
        .forEach(merged::add);
    merged.addAll(calls.withNumber(organisationId, number, limit, newestFirst));
    merged.sort(newestFirst ? OLDEST_FIRST.reversed() : OLDEST_FIRST);
    int from = (int) Math.min(request.offset(), merged.size());
    int to = Math.min(from + request.size(), merged.size());
    long total =
        messages.countWithNumber(organisationId, number) + calls.count(organisationId, number);
    return new Page<>(merged.subList(from, to), request.page(), request.size(), total);
  }
}
