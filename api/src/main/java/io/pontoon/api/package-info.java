package io.pontoon.api;
